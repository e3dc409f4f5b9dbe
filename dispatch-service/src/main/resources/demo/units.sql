-- Demo street: 武康街道 (Wukang, Deqing county), its command room's forces.
insert into unit (id, name, type, street, grids, categories, status, capacity, latitude, longitude) values
('wk-pcs-north', '武康派出所城北警务区', 'POLICE_STATION', 'wukang', '{wukang-01,wukang-02}', '{PUBLIC_ORDER,NEIGHBOR_DISPUTE,FAMILY_DISPUTE,TRAFFIC_PARKING,NOISE}', 'AVAILABLE', 4, 30.5521, 119.9712),
('wk-pcs-south', '武康派出所城南警务区', 'POLICE_STATION', 'wukang', '{wukang-03,wukang-04}', '{PUBLIC_ORDER,NEIGHBOR_DISPUTE,FAMILY_DISPUTE,TRAFFIC_PARKING,NOISE}', 'AVAILABLE', 4, 30.5389, 119.9633),
('wk-zf-1', '武康综合执法中队一组', 'LAW_ENFORCEMENT', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{ILLEGAL_CONSTRUCTION,NOISE,SANITATION,TRAFFIC_PARKING}', 'AVAILABLE', 3, 30.5450, 119.9690),
('wk-zf-2', '武康综合执法中队二组', 'LAW_ENFORCEMENT', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{ILLEGAL_CONSTRUCTION,NOISE,SANITATION,TRAFFIC_PARKING}', 'AVAILABLE', 3, 30.5402, 119.9741),
('wk-dqs-1', '德清嫂调解队（英溪）', 'MEDIATION', 'wukang', '{wukang-01,wukang-02}', '{NEIGHBOR_DISPUTE,FAMILY_DISPUTE,NOISE,CONSUMER_DISPUTE,WAGE_ARREARS}', 'AVAILABLE', 2, 30.5480, 119.9655),
('wk-dqs-2', '德清嫂调解队（千秋）', 'MEDIATION', 'wukang', '{wukang-03,wukang-04}', '{NEIGHBOR_DISPUTE,FAMILY_DISPUTE,NOISE,CONSUMER_DISPUTE,WAGE_ARREARS}', 'AVAILABLE', 2, 30.5361, 119.9702),
('wk-cg-1', '武康城市管理办公室市政组', 'CITY_MANAGEMENT', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{ROAD_DAMAGE,FACILITY_DAMAGE,SANITATION}', 'AVAILABLE', 3, 30.5433, 119.9668),
('wk-cg-2', '武康城市管理办公室环卫组', 'CITY_MANAGEMENT', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{SANITATION,FACILITY_DAMAGE}', 'AVAILABLE', 3, 30.5417, 119.9720),
('wk-grid-01', '网格员 英溪社区01网格', 'GRID_WORKER', 'wukang', '{wukang-01}', '{NEIGHBOR_DISPUTE,NOISE,SANITATION,FACILITY_DAMAGE,ROAD_DAMAGE}', 'AVAILABLE', 2, 30.5502, 119.9661),
('wk-grid-02', '网格员 英溪社区02网格', 'GRID_WORKER', 'wukang', '{wukang-02}', '{NEIGHBOR_DISPUTE,NOISE,SANITATION,FACILITY_DAMAGE,ROAD_DAMAGE}', 'AVAILABLE', 2, 30.5471, 119.9702),
('wk-grid-03', '网格员 千秋社区03网格', 'GRID_WORKER', 'wukang', '{wukang-03}', '{NEIGHBOR_DISPUTE,NOISE,SANITATION,FACILITY_DAMAGE,ROAD_DAMAGE}', 'AVAILABLE', 2, 30.5396, 119.9688),
('wk-labor', '武康劳动保障所', 'OTHER', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{WAGE_ARREARS}', 'AVAILABLE', 2, 30.5445, 119.9651),
('wk-scjg', '武康市场监管所', 'OTHER', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{CONSUMER_DISPUTE}', 'AVAILABLE', 2, 30.5428, 119.9677)
on conflict (id) do nothing;

-- Members (staff phones are staff contact data) and duty rosters: the first member of each unit
-- is on duty round the clock (00:00-00:00 runs past midnight: all 24 hours), so demo notifications
-- always reach someone; the second works office hours on weekdays.
insert into unit_member (member_id, unit_id, name, phone, role) values
('wk-pcs-north-m1', 'wk-pcs-north', '王建国', '13857210001', '警务区长'),
('wk-pcs-north-m2', 'wk-pcs-north', '李晓东', '13857210002', '社区民警'),
('wk-pcs-south-m1', 'wk-pcs-south', '陈志强', '13857210011', '警务区长'),
('wk-pcs-south-m2', 'wk-pcs-south', '周文斌', '13857210012', '社区民警'),
('wk-zf-1-m1', 'wk-zf-1', '沈国平', '13857210021', '中队长'),
('wk-zf-1-m2', 'wk-zf-1', '姚伟', '13857210022', '执法队员'),
('wk-zf-2-m1', 'wk-zf-2', '钱立新', '13857210031', '中队长'),
('wk-zf-2-m2', 'wk-zf-2', '吴斌', '13857210032', '执法队员'),
('wk-dqs-1-m1', 'wk-dqs-1', '徐美华', '13857210041', '队长'),
('wk-dqs-1-m2', 'wk-dqs-1', '朱丽娟', '13857210042', '调解员'),
('wk-dqs-2-m1', 'wk-dqs-2', '孙秀英', '13857210051', '队长'),
('wk-dqs-2-m2', 'wk-dqs-2', '蒋彩凤', '13857210052', '调解员'),
('wk-cg-1-m1', 'wk-cg-1', '郑海涛', '13857210061', '组长'),
('wk-cg-1-m2', 'wk-cg-1', '冯建军', '13857210062', '市政员'),
('wk-cg-2-m1', 'wk-cg-2', '何新民', '13857210071', '组长'),
('wk-cg-2-m2', 'wk-cg-2', '曹永根', '13857210072', '环卫员'),
('wk-grid-01-m1', 'wk-grid-01', '许燕', '13857210081', '专职网格员'),
('wk-grid-01-m2', 'wk-grid-01', '潘小芳', '13857210082', '兼职网格员'),
('wk-grid-02-m1', 'wk-grid-02', '金晓红', '13857210091', '专职网格员'),
('wk-grid-02-m2', 'wk-grid-02', '陆春燕', '13857210092', '兼职网格员'),
('wk-grid-03-m1', 'wk-grid-03', '高丽', '13857210101', '专职网格员'),
('wk-grid-03-m2', 'wk-grid-03', '邱建英', '13857210102', '兼职网格员'),
('wk-labor-m1', 'wk-labor', '韩国庆', '13857210111', '所长'),
('wk-labor-m2', 'wk-labor', '唐勇', '13857210112', '协管员'),
('wk-scjg-m1', 'wk-scjg', '方晓明', '13857210121', '所长'),
('wk-scjg-m2', 'wk-scjg', '俞佳', '13857210122', '科员')
on conflict (member_id) do nothing;

insert into unit_shift (id, unit_id, member_id, days, start_time, end_time) values
('00000000-0000-4000-8000-000000000001', 'wk-pcs-north', 'wk-pcs-north-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000002', 'wk-pcs-north', 'wk-pcs-north-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000003', 'wk-pcs-south', 'wk-pcs-south-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000004', 'wk-pcs-south', 'wk-pcs-south-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000005', 'wk-zf-1', 'wk-zf-1-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000006', 'wk-zf-1', 'wk-zf-1-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000007', 'wk-zf-2', 'wk-zf-2-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000008', 'wk-zf-2', 'wk-zf-2-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000009', 'wk-dqs-1', 'wk-dqs-1-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000010', 'wk-dqs-1', 'wk-dqs-1-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000011', 'wk-dqs-2', 'wk-dqs-2-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000012', 'wk-dqs-2', 'wk-dqs-2-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000013', 'wk-cg-1', 'wk-cg-1-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000014', 'wk-cg-1', 'wk-cg-1-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000015', 'wk-cg-2', 'wk-cg-2-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000016', 'wk-cg-2', 'wk-cg-2-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000017', 'wk-grid-01', 'wk-grid-01-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000018', 'wk-grid-01', 'wk-grid-01-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000019', 'wk-grid-02', 'wk-grid-02-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000020', 'wk-grid-02', 'wk-grid-02-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000021', 'wk-grid-03', 'wk-grid-03-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000022', 'wk-grid-03', 'wk-grid-03-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000023', 'wk-labor', 'wk-labor-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000024', 'wk-labor', 'wk-labor-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30'),
('00000000-0000-4000-8000-000000000025', 'wk-scjg', 'wk-scjg-m1', '{MON,TUE,WED,THU,FRI,SAT,SUN}', '00:00', '00:00'),
('00000000-0000-4000-8000-000000000026', 'wk-scjg', 'wk-scjg-m2', '{MON,TUE,WED,THU,FRI}', '08:30', '17:30')
on conflict (id) do nothing;
